export { drainOutbox, type DrainResult } from './drain.js';
export { PushError } from './post.js';
export type { PusherOptions } from './pusher.js';
export { createPushSink, type PushSink } from './sink.js';
export { pushTarget, type PushConfig, type PushTarget } from './target.js';
