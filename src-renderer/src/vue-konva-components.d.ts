import type { Group, Image, Label, Layer, Rect, Stage, Tag, Text } from 'vue-konva'

/** Types for the components `app.use(VueKonva)` registers globally under the `v-` prefix. */
declare module 'vue' {
  export interface GlobalComponents {
    VStage: typeof Stage
    VLayer: typeof Layer
    VImage: typeof Image
    VGroup: typeof Group
    VRect: typeof Rect
    VLabel: typeof Label
    VTag: typeof Tag
    VText: typeof Text
  }
}

export {}
