// The vendored SignalR client (lib/signalr/signalr.min.js, a classic script loaded before the modules)
// puts itself on the global object. This is the one module that reads the global.

const signalR = globalThis.signalR;
if (!signalR) {
  throw new Error('The SignalR client did not load: index.html must load /lib/signalr/signalr.min.js before the modules.');
}

export default signalR;
