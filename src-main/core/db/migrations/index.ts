import { migration0001 } from './0001-project-and-images'
import { migration0002 } from './0002-runs-detections-annotations'
import { migration0003 } from './0003-run-lease'
import { migration0004 } from './0004-labels-as-truth'
import { migration0005 } from './0005-webgpu-provider'
import { migration0006 } from './0006-undo-per-window'
import { migration0007 } from './0007-trained-models'
import { migration0008 } from './0008-export-folders'
import { migration0009 } from './0009-decode-cutoff'
import { migration0010 } from './0010-provider-skip-keys'
import { migration0011 } from './0011-image-uncertainty'
import type { Migration } from './migration'

/** Every migration, in order. Append new ones at the end; never reorder or edit. */
export const projectMigrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011]
