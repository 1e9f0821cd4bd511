/**
 * `compile` run once per schema object and process: route schemas are constants of protocol/, and
 * what is compiled from one (a validator, a serialiser) is a pure function of it. A process that
 * builds the app more than once (the tests start a node per test) reuses them; compiling every
 * route's validator and serialiser was most of a start.
 */
export function compiledOnce<S extends object, T>(compile: (schema: S) => T): (schema: S) => T {
  const compiled = new WeakMap<S, T>();
  return (schema) => {
    let out = compiled.get(schema);
    if (out === undefined) {
      out = compile(schema);
      compiled.set(schema, out);
    }
    return out;
  };
}
