/**
 * A method's answer already printed as JSON, by a worker: hosts that send JSON (the HTTP server, the
 * desktop app's IPC) write the text as it is (Service.reply). Rebuilding the object on the calling
 * thread and printing it again is what held the HTTP server still: ten traced runs (7 MB) took 55 ms
 * to read and 95 ms to print there. Callers that want the value (Service.call: the CLI, tests) parse it.
 */
export class JsonText<T> {
  /** Only for the type checker: what the text is the JSON of. */
  declare readonly value?: T;
  constructor(readonly text: string) {}
}
