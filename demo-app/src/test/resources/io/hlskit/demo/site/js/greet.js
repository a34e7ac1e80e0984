export function greet() { return 'hola'; }
