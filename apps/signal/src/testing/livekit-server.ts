// One LiveKit test launcher for the whole repository lives in infra/stack.
export {
  livekitBinary as resolveLivekitBinary,
  startLivekit,
  type RunningLivekit,
} from '@polyphony/stack';
