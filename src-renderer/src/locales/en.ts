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
