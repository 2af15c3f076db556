import pushport from '../../worker/index.ts';
import type { Env } from '../../worker/env.ts';
import { BareObject } from './bare-object.ts';

export { PushHub } from '../../worker/index.ts';
export { BareObject };

type FloorEnv = Env & { BARE: DurableObjectNamespace<BareObject> };

const bare = (env: FloorEnv) => env.BARE.get(env.BARE.idFromName('bare'));

/**
 * `/floor/*` is the runtime's floor, everything else is pushport's own Worker, untouched. The floor routes take
 * no token: they run only under the bench's local `wrangler dev`.
 */
export default {
  async fetch(request: Request, env: FloorEnv, ctx: ExecutionContext): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (!path.startsWith('/floor/')) return pushport.fetch(request, env, ctx);
    switch (path) {
      case '/floor/hello':
        return new Response('hello');
      case '/floor/object':
        return Response.json({ ok: (await bare(env).ping()) === 1 });
      case '/floor/batch':
        return Response.json({ taken: await bare(env).take((await request.text()).split('\n').filter(Boolean)) });
      case '/floor/batch-send':
        return Response.json({ sent: await bare(env).sendEach((await request.text()).split('\n').filter(Boolean)) });
      case '/floor/broadcast':
        return Response.json({ delivered: await bare(env).broadcast(await request.text()) });
      case '/floor/ws':
        return bare(env).fetch(request);
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
