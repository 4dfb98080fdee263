// Host `securesocket`: a marker class for http's `Socket` option. Passing it with a `secure`
// dictionary makes the host http module use TLS 1.2 (Node on loopback). Not usable as a raw socket.
export default class SecureSocket {
  constructor(_dictionary?: unknown) {
    throw new Error("host securesocket: use it only as the Socket option of http's Request");
  }
}
