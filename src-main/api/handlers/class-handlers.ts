import type { ProjectClass } from '@shared/api/types'
import { createClass, findClass, mergeClass, renameClass, setClassColor } from '../../core/db/classes-repository'
import type { SqliteDatabase } from '../../core/db/connection'
import { AppError } from '../../core/errors'
import { listClassesWithCounts } from '../../core/labels/class-counts'
import type { ApiContext } from '../api-context'
import type { AreaHandlers } from './handler-types'

type ClassMethod = 'classes.list' | 'classes.create' | 'classes.update' | 'classes.merge'

function readClass(db: SqliteDatabase, classId: number): ProjectClass {
  const found = listClassesWithCounts(db).find((projectClass) => projectClass.id === classId)
  if (!found) throw new AppError('not-found', { key: 'class.notFound', values: { classId } })
  return found
}

/** The project's classes: list with counts, add, rename or recolour, merge. */
export function createClassHandlers(context: ApiContext): AreaHandlers<ClassMethod> {
  const changed = () => context.events.emit({ type: 'classes.changed' })
  return {
    'classes.list': () => listClassesWithCounts(context.projects.requireOpen().db),
    'classes.create': ({ name, color }) => {
      const { db } = context.projects.requireOpen()
      const created = createClass(db, name, new Date().toISOString(), color)
      changed()
      return readClass(db, created.id)
    },
    'classes.update': ({ classId, name, color }) => {
      const { db } = context.projects.requireOpen()
      db.transaction(() => {
        if (!findClass(db, classId)) throw new AppError('not-found', { key: 'class.notFound', values: { classId } })
        if (name !== undefined) renameClass(db, classId, name)
        if (color !== undefined) setClassColor(db, classId, color)
      })()
      changed()
      return readClass(db, classId)
    },
    'classes.merge': ({ classId, intoClassId }) => {
      const { db } = context.projects.requireOpen()
      const { labelsMoved, imageIds } = mergeClass(db, classId, intoClassId)
      changed()
      if (imageIds.length > 0) context.events.emit({ type: 'labels.changed', imageIds })
      context.events.emit({ type: 'images.changed' })
      return { labelsMoved }
    },
  }
}
