/** What the bench drives: the platform over HTTP, or one of the in-process references. */
export interface AgentUnderTest {
  name: string;
  /** Opens a conversation; not timed. */
  openSession(index: number): Promise<string>;
  /**
   * Runs one turn to its end. Resolves with whether it ended as the bench expects (completed,
   * and for a one-tool turn with the tool really called), so a broken run is never reported fast.
   */
  turn(sessionId: string, message: string, expectTool: boolean): Promise<boolean>;
}
