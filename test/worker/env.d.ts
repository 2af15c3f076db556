// Tells the type checker what `env` and `exports` from cloudflare:workers hold in the workers tests.
declare namespace Cloudflare {
  interface Env {
    PUSH_HUB: DurableObjectNamespace<import('../../worker/push-hub.ts').PushHub>;
    PUSH_TOKEN?: string;
  }
  interface GlobalProps {
    mainModule: typeof import('../../worker/index.ts');
    durableNamespaces: 'PushHub';
  }
}
