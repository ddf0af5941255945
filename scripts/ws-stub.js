// Stands in for `ws`, which only Ink's dev-only devtools bridge imports; loading the real package
// would cost every start-up tens of milliseconds for a feature the bundle never uses.
export default class WebSocket {
	constructor() {
		throw new Error('WebSocket is not part of the orbit bundle');
	}
}
export const WebSocketServer = WebSocket;
