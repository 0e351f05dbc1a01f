/**
 * Words to show later, in whatever language the window speaks by then: a catalogue key and
 * its values, translated where they are shown (so switching language re-words them too).
 */
export interface Message {
  key: string
  values?: Record<string, string | number>
}
