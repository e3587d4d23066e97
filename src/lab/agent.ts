/**
 * The probe agent: a small Node.js program the lab writes to its folder and runs inside its namespaces with
 * the same node binary as sitewire (so the lab needs no netcat or socat).
 *
 *   node agent.mjs serve '[{"address":…,"protocol":"tcp"|"udp","port":…},…]'
 *     listens on each; answers every request line (TCP) or datagram (UDP) with
 *     "sitewire-lab <what it received> <the source address it saw>"; prints "ready" once all are bound.
 *   node agent.mjs probe '{"protocol":…,"address":…,"port":…,"bind":…,"token":…,"timeoutMs":…,"tries":…}'
 *     sends the token and waits for the echo, at most `tries` times `timeoutMs`; prints one JSON line:
 *     {"ok":true,"seenAs":"…","tries":n} or {"ok":false,"error":"…","tries":n}.
 * Bounded everywhere: a request line is read up to 200 bytes, a connection lives at most 5 s.
 */
export const AGENT = `import net from "node:net";
import dgram from "node:dgram";

const [mode, spec] = process.argv.slice(2);
const input = JSON.parse(spec);
const answer = (text, from) => \`sitewire-lab \${String(text).split("\\n")[0].slice(0, 100)} \${from}\\n\`;

if (mode === "serve") {
  let pending = input.length;
  const bound = () => { if (--pending === 0) console.log("ready"); };
  const failed = (l) => (err) => { console.log(\`error \${l.protocol}/\${l.port} on \${l.address}: \${err.code ?? err.message}\`); process.exit(1); };
  for (const l of input) {
    if (l.protocol === "tcp") {
      const server = net.createServer((socket) => {
        let received = "";
        socket.setTimeout(5000, () => socket.destroy());
        socket.on("error", () => {});
        socket.on("data", (chunk) => {
          received += chunk;
          if (received.includes("\\n") || received.length > 200) socket.end(answer(received, socket.remoteAddress));
        });
      });
      server.on("error", failed(l));
      server.listen({ host: l.address, port: l.port }, bound);
    } else {
      const socket = dgram.createSocket(l.address.includes(":") ? "udp6" : "udp4");
      socket.on("error", failed(l));
      socket.on("message", (message, from) => socket.send(answer(message, from.address), from.port, from.address));
      socket.bind({ address: l.address, port: l.port }, bound);
    }
  }
  if (pending === 0) console.log("ready");
} else if (mode === "probe") {
  const started = Date.now();
  const done = (result) => { console.log(JSON.stringify({ ...result, ms: Date.now() - started })); process.exit(0); };
  const check = (text) => {
    const m = new RegExp(\`^sitewire-lab \${input.token} (\\\\S+)\`).exec(String(text));
    return m ? m[1] : undefined;
  };
  const tcp = (attempt) => new Promise((resolve) => {
    let received = "";
    let settled = false;
    const finish = (r) => { if (!settled) { settled = true; socket.destroy(); resolve(r); } };
    const socket = net.connect({ host: input.address, port: input.port, ...(input.bind ? { localAddress: input.bind } : {}) });
    socket.setTimeout(input.timeoutMs, () => finish({ error: received ? "the answer did not carry the probe's token" : "no answer (timed out)" }));
    socket.on("connect", () => socket.write(\`\${input.token}\\n\`));
    socket.on("data", (chunk) => { received += chunk; const seen = check(received); if (seen) finish({ seenAs: seen }); });
    socket.on("error", (err) => finish({ error: describe(err) }));
    socket.on("end", () => finish({ error: received ? "the answer did not carry the probe's token" : "the connection was closed without an answer" }));
  });
  const udp = () => new Promise((resolve) => {
    const socket = dgram.createSocket(input.address.includes(":") ? "udp6" : "udp4");
    const timer = setTimeout(() => { socket.close(); resolve({ error: "no answer (timed out)" }); }, input.timeoutMs);
    socket.on("error", (err) => { clearTimeout(timer); socket.close(); resolve({ error: describe(err) }); });
    socket.on("message", (m) => { const seen = check(m); if (seen) { clearTimeout(timer); socket.close(); resolve({ seenAs: seen }); } });
    socket.bind({ port: 0, ...(input.bind ? { address: input.bind } : {}) }, () => socket.send(\`\${input.token}\\n\`, input.port, input.address));
  });
  const describe = (err) => ({
    ECONNREFUSED: "connection refused (something answered, but nothing listens there)",
    EHOSTUNREACH: "no route to host",
    ENETUNREACH: "network unreachable",
    ETIMEDOUT: "no answer (timed out)",
    EADDRNOTAVAIL: "the source address is not available here",
  })[err.code] ?? \`\${err.code ?? "error"}: \${err.message}\`;
  let last = {};
  for (let attempt = 1; attempt <= input.tries; attempt++) {
    last = await (input.protocol === "tcp" ? tcp(attempt) : udp());
    if (last.seenAs) done({ ok: true, seenAs: last.seenAs, tries: attempt });
  }
  done({ ok: false, error: last.error, tries: input.tries });
} else {
  console.error("usage: agent.mjs serve SPEC | probe SPEC");
  process.exit(2);
}
`;
