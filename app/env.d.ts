/// <reference types="@remix-run/node" />

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    cspNonce: string;
    requestId: string;
    clientIp: string;
    csrfToken: string;
  }
}

export {};
