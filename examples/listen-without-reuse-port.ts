// The reference's first listen() program: four processes each listen() on the same port without reusePort.
// The first one gets the port; every other one fails with "Address already in use", as the reference warns.
// Run: node examples/listen-without-reuse-port.ts start   (HOST / HTTP_PORT override 0.0.0.0 / 2016)
import { Worker, type TcpConnection } from 'pushport/emulator';

const host = process.env.HOST ?? '0.0.0.0';
const httpPort = process.env.HTTP_PORT ?? '2016';

const worker = new Worker();
// 4 processes
worker.count = 4;
// Each process, once started, adds a listener in itself.
worker.onWorkerStart = () => {
  // Four processes all bind this port: from the second one on, listen() throws "Address already in use".
  const innerWorker = new Worker(`http://${host}:${httpPort}`);
  innerWorker.onMessage = onMessage;
  innerWorker.listen();
};

worker.onMessage = onMessage;

function onMessage(connection: TcpConnection): void {
  // The pid is added so you can see which process answered.
  connection.send(`hello from ${process.pid}\n`);
}

Worker.runAll();
