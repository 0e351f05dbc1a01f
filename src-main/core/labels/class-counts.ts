import type { ProjectClass } from '../../../src-shared/api/types'
import { listClasses, listClassMerges } from '../db/classes-repository'
import type { SqliteDatabase } from '../db/connection'
import { countAnnotationsByClass } from '../db/project-stats'
import { countLatestDetectionsByClass } from '../db/latest-detection-counts'

/**
 * Every listed class in the project's order with its label and detection counts, read together;
 * a class's detections include those of the classes merged into it.
 */
export function listClassesWithCounts(db: SqliteDatabase): ProjectClass[] {
  return db.transaction(() => {
    const labels = new Map(countAnnotationsByClass(db).map((count) => [count.classId, count.count]))
    const merges = listClassMerges(db)
    const detections = new Map<number, number>()
    for (const [classId, count] of countLatestDetectionsByClass(db)) {
      const listed = merges.get(classId) ?? classId
      detections.set(listed, (detections.get(listed) ?? 0) + count)
    }
    return listClasses(db).map((record) => ({
      ...record,
      labelCount: labels.get(record.id) ?? 0,
      detectionCount: detections.get(record.id) ?? 0,
    }))
  })()
}
