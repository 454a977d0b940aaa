/** A bad DcrModule option: thrown at bootstrap so the host fails to start, naming the option. */
export class DcrConfigurationError extends Error {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`DcrModule option "${option}" ${problem}`);
    this.name = 'DcrConfigurationError';
  }
}
