/**
 * Esc closes a dialog, as it closes the class picker and the shortcut sheet. Listens on the
 * window while the dialog is mounted, so the key works wherever focus is; an element that
 * handles Esc itself (and says so with preventDefault) keeps it.
 */
import { onBeforeUnmount, onMounted } from 'vue'

export function useEscapeToClose(close: () => void): void {
  const onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return
    event.preventDefault()
    close()
  }
  onMounted(() => window.addEventListener('keydown', onKeydown))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown))
}
