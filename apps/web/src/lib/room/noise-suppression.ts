// Noise suppression for one's own microphone: RNNoise (xiph) compiled to WebAssembly, run in an
// AudioWorklet by @sapphi-red/web-noise-suppressor. The worklet and the WASM are bundled by Vite
// and served by the product itself: no third-party CDN, nothing leaves the deployment (ADR 0032).
// Loaded lazily with the room's media code.
import type { AudioProcessorOptions, Track, TrackProcessor } from 'livekit-client';
import { RnnoiseWorkletNode, loadRnnoise } from '@sapphi-red/web-noise-suppressor';
import rnnoiseWorkletUrl from '@sapphi-red/web-noise-suppressor/rnnoiseWorklet.js?url';
import rnnoiseWasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise.wasm?url';
import rnnoiseSimdWasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?url';
import { NOISE_SUPPRESSION } from './livekit-adapter.ts';

/** RNNoise works on 48 kHz frames: the graph runs in a context of its own at that rate. */
const RNNOISE_SAMPLE_RATE = 48_000;

let wasm: Promise<ArrayBuffer> | null = null;

/** The WASM binary, fetched once per page (SIMD where the browser has it). */
function rnnoiseBinary(): Promise<ArrayBuffer> {
  wasm ??= loadRnnoise({ url: rnnoiseWasmUrl, simdUrl: rnnoiseSimdWasmUrl }).catch((error) => {
    wasm = null;
    throw error;
  });
  return wasm;
}

/**
 * A livekit-client audio processor: microphone → RNNoise → the track that is sent. Destroyed with
 * the track; a failure to start leaves the microphone unprocessed (the call goes on).
 */
export function noiseSuppressor(): TrackProcessor<Track.Kind.Audio, AudioProcessorOptions> {
  let context: AudioContext | null = null;
  const processor: TrackProcessor<Track.Kind.Audio, AudioProcessorOptions> = {
    name: NOISE_SUPPRESSION,
    async init({ track }) {
      const binary = await rnnoiseBinary();
      const ctx = new AudioContext({ sampleRate: RNNOISE_SAMPLE_RATE, latencyHint: 'interactive' });
      context = ctx;
      try {
        await ctx.audioWorklet.addModule(rnnoiseWorkletUrl);
        const source = ctx.createMediaStreamSource(new MediaStream([track]));
        const rnnoise = new RnnoiseWorkletNode(ctx, { maxChannels: 1, wasmBinary: binary });
        const destination = ctx.createMediaStreamDestination();
        source.connect(rnnoise).connect(destination);
        // A context made without a gesture may start suspended; the microphone gesture or the
        // room's own audio unlock lets it run.
        if (ctx.state === 'suspended') await ctx.resume().catch(() => undefined);
        processor.processedTrack = destination.stream.getAudioTracks()[0];
      } catch (error) {
        await ctx.close().catch(() => undefined);
        context = null;
        throw error;
      }
    },
    async restart(options) {
      await processor.destroy();
      await processor.init(options);
    },
    async destroy() {
      processor.processedTrack?.stop();
      delete processor.processedTrack;
      const ctx = context;
      context = null;
      await ctx?.close().catch(() => undefined);
    },
  };
  return processor;
}
