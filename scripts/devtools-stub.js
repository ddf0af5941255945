// Stands in for react-devtools-core, an optional dev-only peer of Ink, so the bundle never needs it.
export default { initialize() {}, connectToDevTools() {} };
