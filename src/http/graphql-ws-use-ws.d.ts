// graphql-ws publishes its `ws` adapter only under "exports" (graphql-ws/use/ws), which this
// project's moduleResolution ("node") does not read; Node and jest do. These are its own types.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
