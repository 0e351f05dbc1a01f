import type { Ref } from 'vue'
import { savePng, saveSvg } from '../files/save-chart'
import { useNoticesStore } from '../stores/notices'

/** The SVG and PNG buttons of a chart: save what is drawn under a name the chart gives. */
export function useChartFiles(svg: Ref<SVGSVGElement | null>, fileName: () => string) {
  const notices = useNoticesStore()
  return {
    saveSvg(): void {
      if (svg.value) saveSvg(svg.value, fileName())
    },
    async savePng(): Promise<void> {
      if (!svg.value) return
      try {
        await savePng(svg.value, fileName())
      } catch (error) {
        notices.report(error, 'failures.savePng')
      }
    },
  }
}
