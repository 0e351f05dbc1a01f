import type { Image, Layer, Stage } from 'vue-konva'

/** Types for the components `app.use(VueKonva)` registers globally under the `v-` prefix. */
declare module 'vue' {
  export interface GlobalComponents {
    VStage: typeof Stage
    VLayer: typeof Layer
    VImage: typeof Image
  }
}

export {}
