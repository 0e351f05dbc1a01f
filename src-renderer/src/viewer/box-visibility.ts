import type { DetectionBox } from '@shared/api/types'

/**
 * Which detections the image view draws. A box is shown when its class is not hidden and
 * its score reaches both the global threshold and its class's own threshold, so raising
 * either one hides boxes and neither can bring back what the other hides.
 */
export interface BoxVisibility {
  suggestionThreshold: number
  /** Per-class minimum score; classes not listed use only the global threshold. */
  classThresholds: Readonly<Record<number, number>>
  hiddenClassIds: readonly number[]
}

export function isDetectionVisible(detection: DetectionBox, visibility: BoxVisibility): boolean {
  if (visibility.hiddenClassIds.includes(detection.classId)) return false
  const classThreshold = visibility.classThresholds[detection.classId] ?? 0
  return detection.score >= Math.max(visibility.suggestionThreshold, classThreshold)
}

export function visibleDetections(detections: readonly DetectionBox[], visibility: BoxVisibility): DetectionBox[] {
  return detections.filter((detection) => isDetectionVisible(detection, visibility))
}
