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
  /** Why an item of an imported label file was left out (listed under the file and the item). */
  importProblem: {
    noImageNamed: 'it names no image inside the project folder; its {boxes} boxes are left out',
    noImageMatches: 'no project image matches "{name}"; its {boxes} boxes are left out',
    ambiguousImage: '"{name}" is ambiguous: {count} project images are named "{baseName}" ({examples}); its {boxes} boxes are left out',
    sizeDiffers:
      'the file gives the image as {fileWidth}×{fileHeight} but {image} is {width}×{height} as displayed; its boxes are left out',
    sizeDiffersRotated:
      'the file gives the image as {fileWidth}×{fileHeight} but {image} is {width}×{height} as displayed (the file seems to use the frame before EXIF rotation); its boxes are left out',
    boxOutside: 'the box lies outside the image; left out',
    boxTooSmall: 'the box is {size} px, smaller than the smallest label ({min} px a side); left out',
    specialFile: '{kind}, not a regular file; skipped without reading it',
    cocoCategoryInvalid: 'a category needs an integer "id" and a non-empty "name"; left out',
    cocoCategoryIdTwice: 'the category id is used twice; the second is left out',
    cocoImageInvalid: 'an image needs an integer "id" and a "file_name"; left out',
    cocoImageIdTwice: 'the image id is used twice; the second is left out',
    cocoImageSizeInvalid: '"width" and "height" must be positive numbers; left out',
    cocoAnnotationNotObject: 'an annotation must be an object; left out',
    cocoAnnotationIdTwice: 'the annotation id is used twice; the second is left out',
    cocoUnknownImage: '"image_id" {id} is not an image of this file; left out',
    cocoUnknownCategory: '"category_id" {id} is not a category of this file; left out',
    cocoCrowd: 'a crowd region (iscrowd 1) is not an object box; left out',
    cocoBboxInvalid: '"bbox" must be four finite numbers [x, y, width, height]; left out',
    cocoNoWidth: 'the box has no or negative width; left out',
    cocoNoHeight: 'the box has no or negative height; left out',
    yoloPolygon: 'a polygon (segmentation) line is not a box; left out',
    yoloFields: 'expected "class cx cy w h"; left out',
    yoloNotClassIndex: '"{value}" is not a class index; left out',
    yoloUnknownClass: 'class index {index} is not in the class list ({count} classes); left out',
    yoloNotFinite: 'the box values must be finite numbers; left out',
    yoloNoSize: 'the box has no or negative width or height; left out',
    labelmeNotLabelme: 'not a LabelMe file (it needs "shapes" and "imagePath"); left out',
    labelmeShapeNotObject: 'a shape must be an object; left out',
    labelmeNotRectangle: 'a "{shape}" shape is not a box; left out',
    labelmeNoLabel: 'the shape has no "label"; left out',
    labelmePointsInvalid: '"points" must be two [x, y] pairs of finite numbers; left out',
    labelmeNoArea: 'the rectangle has no area; left out',
    vocNotVoc: 'not a Pascal VOC annotation (no <annotation> element); left out',
    vocNoFilename: 'the annotation has no <filename>; left out',
    vocNoName: 'the object has no <name>; left out',
    vocBndboxInvalid: '<bndbox> needs numeric xmin, ymin, xmax and ymax; left out',
    vocNegativeSize: 'the box has negative width or height; left out',
  },
  /** Why a whole import was refused; nothing was imported. */
  importRefused: {
    nothingAt: 'There is nothing at {path} to import.',
    notRegularFile: '{file} is {kind}, not a regular file; nothing was read from it.',
    tooLarge: '{file} is {size}, over the {limit} limit for {what} files; split it into smaller files.',
    invalidJson: '{file} is not valid JSON ({reason}); nothing was imported.',
    invalidYaml: '{file} is not valid YAML ({reason}); nothing was imported.',
    notWellFormedXml: '{file} is not well-formed XML ({reason}); nothing was imported.',
    xmlDoctype:
      '{file} declares a document type or entities (<!DOCTYPE>/<!ENTITY>), which annotation files never need and which can expand without bound or read other files; it was refused and nothing was imported.',
    noCocoFile: '{folder} holds no .json file to import as COCO.',
    notCoco: '{file} is not a COCO detection file: it needs "images", "annotations" and "categories" lists. Nothing was imported.',
    noLabelmeFile: '{folder} holds no .json file to import as LabelMe.',
    noVocFile: '{folder} holds no .xml annotation file to import as Pascal VOC.',
    yoloNames: '{file}: "names" must be a list of class names or a map from index to name.',
    notYoloData: '{file} is not a YOLO data file.',
    yoloNoClassNames: '{folder} has neither data.yaml nor classes.txt, so the class indices of its YOLO labels have no names.',
    newClasses: 'The import uses classes the project does not have: {names}. Allow new classes to create them; nothing was imported.',
    readLost: 'The labels read for this import were lost before their turn to be written (the worker that read them stopped); nothing was imported. Import again.',
  },
  export: {
    isAFile: '{path} is a file, not a folder; choose a new or empty folder.',
    notEmpty: '{folder} is not empty; an export never overwrites files. Choose a new or empty folder.',
    folderGone: "The export's folder beside {folder} disappeared while it was being written (was {parent} moved or removed?); nothing was exported. Export again.",
    filesChanged:
      "The export's folder beside {folder} holds {found} files where {written} were written (was it changed by another program meanwhile?); nothing was exported. Export again.",
    emptyClassName: 'An exported class name cannot be empty.',
    classTwice: 'Each class can be exported once, and under a name no other exported class has.',
  },
  training: {
    noReviewedImages: 'The project has no reviewed images. Training learns only from images a person reviewed; review some first.',
    noLabels: 'The {images} reviewed images have no labels. Training needs reviewed images with objects labelled.',
    tooFewImages:
      'Only {training} of the {images} reviewed images are for training (the rest are held out to measure the result); review at least {needed} images.',
    cancelledBeforeStart: 'The training was cancelled before it started.',
    cancelled: 'The training was cancelled; starting it again continues from the last finished epoch.',
    replacesBase: 'The trained model cannot replace its base model; choose another --out.',
  },
  /** The browser page's connection to `serve`, as the page itself reports it. */
  transport: {
    unreachable: 'The Retina Workbench server cannot be reached. Is `serve` still running?',
    notSignedIn: 'This page is not signed in to the server. Open the whole address that `serve` printed (its path holds the access token).',
    unreadable: 'The server sent an unreadable answer to {method} (HTTP {status}).',
    unexpected: 'The server sent an unexpected answer to {method} (HTTP {status}).',
  },
  /** What a job does, as the jobs tray names it, and how it ended when cancelled. */
  jobs: {
    readingImages: 'Reading the images of {folder}',
    readingImagesCancelled: 'Reading the images of {folder} was cancelled.',
    rescanning: 'Rescanning {folder}',
    rescanningCancelled: 'Rescanning {folder} was cancelled.',
    readingLabels: 'Reading {format} labels from {input}',
    readingLabelsCancelled: 'Reading {format} labels from {input} was cancelled; nothing was imported.',
    importingLabels: 'Importing {format} labels from {input}',
    importingLabelsCancelled: 'Importing {format} labels from {input} was cancelled; nothing was imported.',
    exportingLabels: 'Exporting labels as {format} to {folder}',
    detecting: 'Detecting objects with {model}',
    detectingCancelled: 'Detecting objects with {model} was cancelled; resuming the run continues where it stopped.',
    resumingRun: 'Resuming detection run {runId}',
    resumingRunCancelled: 'Resuming detection run {runId} was cancelled; resuming the run continues where it stopped.',
    teaching: 'Teaching {model} from the reviewed images of {project}',
    trainingEpoch: 'epoch {epoch} of {epochs}: held-out AP50 {ap}',
    trainingPlan: '{train} images to learn from, {heldOut} held out; {epochs} epochs',
    trainingPlanOneEpoch: '{train} images to learn from, {heldOut} held out; {epochs} epoch',
    trainingPlanOneEpochResumed: '{train} images to learn from, {heldOut} held out; {epochs} epoch, continuing after epoch {after}',
    trainingPlanResumed: '{train} images to learn from, {heldOut} held out; {epochs} epochs, continuing after epoch {after}',
  },
  /** Why a faster execution provider was not used: what to install, and the runtime's own detail. */
  gpu: {
    cudaNoBuild: 'onnxruntime-node has no CUDA build for {platform}',
    cudaNoBuildWithDetail: 'onnxruntime-node has no CUDA build for {platform} ({detail})',
    cudaFilesMissing:
      '{file} is missing from {folder}: onnxruntime-node was installed without its CUDA provider (`npm run setup:cuda` fetches it on a machine that is online)',
    cudaFilesMissingWithDetail:
      '{file} is missing from {folder}: onnxruntime-node was installed without its CUDA provider (`npm run setup:cuda` fetches it on a machine that is online) ({detail})',
    cudaCannotLoad: '{library} cannot be loaded: {detail}',
    cudaRuntime: '{detail}',
    cudaNotInitialised: 'ONNX Runtime could not initialise CUDA',
    webgpuUnavailable: 'WebGPU is not available on {platform}',
    noVulkanLoader:
      'the Vulkan loader (libvulkan.so.1) is not installed; on Debian and Ubuntu `apt install libvulkan1`, on Fedora `dnf install vulkan-loader` ({detail})',
    onlyLavapipe:
      "no GPU was found; the only Vulkan device is Mesa's software renderer (lavapipe), which is slower than the CPU provider (`--provider webgpu` uses it anyway)",
    noGpu: 'no GPU was found (no NVIDIA driver, no GPU render node under /sys/class/drm)',
    noAdapter: 'no {api} adapter was found ({detail})',
    noVulkanDriverNvidia:
      "Vulkan found no usable driver for {gpu}: NVIDIA's driver installs it (nvidia_icd.json); on a server without a desktop the GLX libraries it loads are needed too (`apt install libglx0 libgl1`) ({detail})",
    noVulkanDriverMesa: 'Vulkan found no usable driver for {gpu}: on Debian and Ubuntu `apt install mesa-vulkan-drivers` installs it (Mesa 24 or newer) ({detail})',
    noVulkanDriver:
      "Vulkan found no usable driver for {gpu}: install the GPU vendor's Vulkan driver, or `mesa-vulkan-drivers` (Mesa 24 or newer) for a software renderer ({detail})",
    adapterRefused: 'the WebGPU adapter was refused: {detail}',
  },
  /** The CLI's own frame around what it reports. */
  cli: {
    error: 'error: {message}',
    usage: 'Run `{command} --help` for usage.',
    cancelling: 'cancelling…',
    cancelled: 'cancelled',
    notUsed: '{provider} not used: {reason}',
    asRequested: 'as requested',
    providerWith: '{provider} ({details})',
    separator: '; ',
  },
}
