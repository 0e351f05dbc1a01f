/**
 * English, the reference catalogue: zh-CN.ts has exactly these keys and placeholders (a test
 * checks it). Keys by area; counts use plural forms `one | other` chosen by `t(key, count)`.
 */
export const en = {
  language: {
    label: 'Language',
  },
  common: {
    browse: 'Browse…',
    cancel: 'Cancel',
    cancelling: 'Cancelling…',
    dismiss: 'Dismiss',
    working: 'Working…',
  },
  time: {
    hoursMinutes: '{hours} h {minutes} min',
    minutesSeconds: '{minutes} min {seconds} s',
    seconds: '{seconds} s',
  },
  jobs: {
    starting: 'Starting…',
    done: { files: '{done} of {total} files', images: '{done} of {total} images' },
    rate: { files: '{rate} files/s', images: '{rate} images/s' },
    left: '{time} left',
  },
  count: {
    labels: '{n} label | {n} labels',
    detections: '{n} detection | {n} detections',
  },
  project: {
    images: '{n} image | {n} images',
    imagesMatch: '{n} image matches | {n} images match',
    importLabels: 'Import labels…',
    exportLabels: 'Export labels…',
    close: 'Close project',
    noMatch: 'No images match this filter.',
    noImages: 'This folder has no images the workbench can read ({formats}).',
    counters: {
      reviewed: '{reviewed} of {images} reviewed',
      reviewedTitle: 'Images a person marked reviewed: their labels are checked',
      labelsTitle: "Labels: the project's boxes, what an export contains",
      detectionsTitle: "Detections: what the latest run of each image found, above the model's cutoff",
    },
  },
  start: {
    tagline: 'Pre-label image folders with RetinaNet, review every box, export for training.',
    newProject: {
      title: 'New project from an image folder',
      folder: 'Image folder (absolute path)',
      folderPlaceholder: '/home/me/datasets/street-scenes',
      name: 'Name (optional, defaults to the folder name)',
      fileHint: 'The project file is saved inside the folder as {file}.',
      folderName: 'folder name',
      create: 'Create project',
      scanning: 'Scanning: {examined} of {total} files',
    },
    openProject: {
      title: 'Open a project file',
      file: 'Project file (absolute path)',
      filePlaceholder: '/home/me/datasets/street-scenes/street-scenes.rwproj',
      open: 'Open project',
    },
    recent: {
      title: 'Recent projects',
      empty: 'No projects opened yet.',
      open: 'Open {file}',
      gone: '{file} no longer exists',
      missing: 'missing',
      opened: 'Opened {when}',
    },
  },
}

export type MessageCatalogue = typeof en
