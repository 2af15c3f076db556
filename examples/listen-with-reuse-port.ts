// The reference's second listen() program: with reusePort every one of the four processes listens on the same
// HTTP port, and the kernel spreads the clients over them.
// Run: node examples/listen-with-reuse-port.ts start   (HOST / TEXT_PORT / HTTP_PORT override 0.0.0.0 / 2015 / 2016)
import { Worker, type TcpConnection } from 'pushport/emulator';

const host = process.env.HOST ?? '0.0.0.0';
const textPort = process.env.TEXT_PORT ?? '2015';
const httpPort = process.env.HTTP_PORT ?? '2016';

const worker = new Worker(`text://${host}:${textPort}`);
// 4 processes
worker.count = 4;
worker.onWorkerStart = () => {
  const innerWorker = new Worker(`http://${host}:${httpPort}`);
  // SO_REUSEPORT: each process may bind the same port.
  innerWorker.reusePort = true;
  innerWorker.onMessage = onMessage;
  // Listens normally, no error.
  innerWorker.listen();
};

worker.onMessage = onMessage;

function onMessage(connection: TcpConnection): void {
  // The pid is added so you can see which process answered.
  connection.send(`hello from ${process.pid}\n`);
}

Worker.runAll();
