import { describe, expect, it } from 'vitest'
import { ApiCallError, createApi, fail, ok, type ApiTransport } from '@shared/api'

function transportAnswering(result: ReturnType<typeof ok> | ReturnType<typeof fail>): ApiTransport {
  return {
    invoke: async () => result,
    subscribe: () => () => {},
    imageUrl: (image) => `/image/${image.id}`,
    thumbnailUrl: (image) => `/thumb/${image.id}`,
  }
}

describe('createApi', () => {
  it('resolves to the value of an ok result', async () => {
    const api = createApi(transportAnswering(ok(null)))
    await expect(api.call('project.close', {})).resolves.toBeNull()
  })

  it('throws an ApiCallError carrying the code and message of a failed result', async () => {
    const api = createApi(transportAnswering(fail('no-project', 'No project is open.')))
    const error = await api.call('images.list', { offset: 0, limit: 10 }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ApiCallError)
    expect(error).toMatchObject({ code: 'no-project', message: 'No project is open.' })
  })

  it('tryCall hands back the failed result as a value', async () => {
    const api = createApi(transportAnswering(fail('not-found', 'Image 9 is not in this project.')))
    await expect(api.tryCall('images.get', { imageId: 9 })).resolves.toEqual({
      ok: false,
      error: { code: 'not-found', message: 'Image 9 is not in this project.' },
    })
  })
})
