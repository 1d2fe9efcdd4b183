/**
 * An aggregate as a decider (Emmett/Chassaing style): state is a left fold of its events; a command
 * is decided against the state into new events, without I/O. Handlers do the loading and appending.
 */
export interface Evolver<State> {
  initialState(): State;
  evolve(state: State, event: { type: string; data: unknown }): State;
}

/** An event a decision produced, before it has an id and metadata. */
export interface DecidedEvent<TData = unknown> {
  type: string;
  data: TData;
}

export function fold<State>(evolver: Evolver<State>, events: { type: string; data: unknown }[]): State {
  return events.reduce((state, event) => evolver.evolve(state, event), evolver.initialState());
}
