import type { SqliteDatabase } from './connection'

/** A held-out score as the project keeps it (see core/training/held-out.ts). */
export interface StoredHeldOutScore {
  ap50: number | null
  ap: number | null
  threshold: number
}

export interface TrainedModelRecord {
  id: number
  modelPath: string
  configPath: string
  baseModelPath: string
  baseSha256: string
  imageCount: number
  heldOutCount: number
  labelCount: number
  labelsSha256: string
  settings: Record<string, unknown>
  heldOutBefore: StoredHeldOutScore
  heldOutAfter: StoredHeldOutScore
  createdAt: string
}

interface TrainedModelRow {
  id: number
  model_path: string
  config_path: string
  base_model_path: string
  base_sha256: string
  image_count: number
  held_out_count: number
  label_count: number
  labels_sha256: string
  settings: string
  held_out_before: string
  held_out_after: string
  created_at: string
}

export function insertTrainedModel(db: SqliteDatabase, model: Omit<TrainedModelRecord, 'id'>): number {
  const result = db
    .prepare(
      `INSERT INTO trained_models (model_path, config_path, base_model_path, base_sha256, image_count, held_out_count,
         label_count, labels_sha256, settings, held_out_before, held_out_after, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      model.modelPath,
      model.configPath,
      model.baseModelPath,
      model.baseSha256,
      model.imageCount,
      model.heldOutCount,
      model.labelCount,
      model.labelsSha256,
      JSON.stringify(model.settings),
      JSON.stringify(model.heldOutBefore),
      JSON.stringify(model.heldOutAfter),
      model.createdAt,
    )
  return Number(result.lastInsertRowid)
}

/** Newest first. */
export function listTrainedModels(db: SqliteDatabase): TrainedModelRecord[] {
  const rows = db.prepare('SELECT * FROM trained_models ORDER BY id DESC').all() as TrainedModelRow[]
  return rows.map((row) => ({
    id: row.id,
    modelPath: row.model_path,
    configPath: row.config_path,
    baseModelPath: row.base_model_path,
    baseSha256: row.base_sha256,
    imageCount: row.image_count,
    heldOutCount: row.held_out_count,
    labelCount: row.label_count,
    labelsSha256: row.labels_sha256,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    heldOutBefore: JSON.parse(row.held_out_before) as StoredHeldOutScore,
    heldOutAfter: JSON.parse(row.held_out_after) as StoredHeldOutScore,
    createdAt: row.created_at,
  }))
}
