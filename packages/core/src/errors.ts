/** Base of the platform's errors: the class name says who is at fault and what to do. */
export class PlatformError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The operator misconfigured something; the process must not start. */
export class ConfigError extends PlatformError {}
