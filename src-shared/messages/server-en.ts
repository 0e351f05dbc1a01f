/**
 * What the main process and the CLI say to a person, in English (the reference catalogue;
 * server-zh-CN.ts has the same keys and placeholders). Errors are raised with a key of this
 * catalogue (see said.ts), so the renderer and the CLI can word them in their language.
 * Messages use `{name}` placeholders only: no `|` or `@`, which vue-i18n reads as syntax.
 */
export const serverEn = {
  files: {
    missing: 'A file or folder does not exist.',
    missingAt: 'A file or folder does not exist ({path}).',
    permissionDenied: 'Permission denied. Check the file permissions.',
    permissionDeniedAt: 'Permission denied ({path}). Check the file permissions.',
    diskFull: 'The disk is full. Free some space and try again.',
    readOnly: 'The file system is read-only.',
    readOnlyAt: 'The file system is read-only ({path}).',
  },
  /** A project file's own storage, named: what went wrong and what to do. */
  storage: {
    readOnly:
      '{file} is in a read-only location (the file or its folder cannot be written), and a project saves every change into its file. Copy the project folder to a place you can write to, or change its permissions, then open it there.',
    diskFull: 'The disk holding {file} is full, so the project cannot be saved. Free some space and try again.',
    permissionDenied: 'Permission denied for {file}. Check that you may read and write it and its folder (or ask its owner).',
    locked: '{file} is locked by another program. Close it there and try again.',
    ioError: '{file} could not be read or written (a disk input/output error). Check the disk, or copy the project elsewhere.',
    damaged: '{file} is damaged or is not a Retina Workbench project file.',
  },
  database: {
    busy: 'The project database is busy in another program. Try again in a moment.',
    diskFull: 'The disk is full; the project could not be saved.',
    readOnly: 'The project file is read-only; changes cannot be saved.',
    damaged: 'The project file is damaged or is not a project file.',
  },
  internal: 'Something went wrong inside the app. The details were written to its log.',
  project: {
    noneOpen: 'No project is open. Create or open a project first.',
    notFound: 'There is no project file at {file}.',
    exists: 'A file already exists at {file}. Open it, or choose another project file.',
    notProjectFile: '{file} is not a Retina Workbench project file.',
    isFolder: '{file} is a folder, not a project file.',
    cannotOpen: '{file} could not be opened. Check that you may read and write it and its folder.',
    closedBeforeRun: '{file} was closed before the detection run could start.',
  },
  image: {
    notFound: 'This project has no image with id {imageId}.',
  },
  class: {
    notFound: 'This project has no class with id {classId}.',
    exists: 'A class named "{name}" already exists.',
    merged: 'Class "{name}" was merged into another class.',
    mergedInto: 'Class {classId} was merged into class {intoClassId}; use that class.',
    notAColour: '"{colour}" is not a colour; use the form #rrggbb.',
    stillUsed: 'Class "{name}" is still used by labels or detection runs and cannot be deleted.',
    mergeIntoItself: 'A class cannot be merged into itself.',
  },
  edit: {
    undoConflict:
      'Cannot undo "{command}": another window changed label {labelId} since, and undoing it would overwrite that change. Nothing was changed; the step is no longer in this window\'s history.',
    redoConflict:
      'Cannot redo "{command}": another window changed label {labelId} since, and redoing it would overwrite that change. Nothing was changed; the step is no longer in this window\'s history.',
    labelNotFound: 'Image {imageId} has no label with id {labelId}.',
  },
  run: {
    notFound: 'This project has no run #{runId}: pick one of its runs.',
    noSuchRun: 'This project has no detection run with id {runId}.',
    ended: 'Detection run {runId} has already ended ({state}).',
    stillRunning: 'Detection run {runId} is still running; stop it first.',
    running: 'Detection run {runId} is running already.',
    finished: 'Detection run {runId} finished every image already.',
    notRunning: 'Detection run {runId} is not running (it is {state}).',
    modelGone: 'The model of detection run {runId} is gone: {model}. Start a new run instead.',
    modelMissing: 'The model file does not exist: {model}.',
    startModelMissing: 'The model this app was started with is missing: {model}.',
    modelChanged: 'The model file {model} changed since run {runId} started; start a new run instead.',
    configChanged: 'The model config changed since run {runId} started; start a new run instead.',
    takenOver: 'Detection run {runId} was taken over by another window or command; this one stopped.',
    compareWithItself: 'Compare run #{runId} with another run than itself.',
  },
  dialogs: {
    desktopOnly: 'File dialogs are only available in the desktop app; type the path instead.',
  },
  /** The CLI's own frame around what it reports. */
  cli: {
    error: 'error: {message}',
    usage: 'Run `{command} --help` for usage.',
    cancelling: 'cancelling…',
    cancelled: 'cancelled',
  },
}
