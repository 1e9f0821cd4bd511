import type { Frame, Page } from 'playwright-core';

/**
 * Video frames decoded so far by the call's peer connection, read with `getStats` where it runs:
 * the dashboard page (`window.parleyCall.peer`) or the widget's frame (`window.parleyCall.pc`).
 * 0 while there is no call. A count that grows is media arriving from the other side.
 */
export function videoFramesDecoded(where: Page | Frame): Promise<number> {
  return where.evaluate(async () => {
    const call = (
      window as unknown as { parleyCall?: { peer?: RTCPeerConnection | null; pc?: RTCPeerConnection | null } }
    ).parleyCall;
    const pc = call?.peer ?? call?.pc;
    if (!pc) return 0;
    let frames = 0;
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
    });
    return frames;
  });
}

/** The same in the widget's frame of a host page; 0 while the frame is not there. */
export function videoFramesInWidget(page: Page): Promise<number> {
  const frame = page.frame({ url: /\/w\// });
  return frame ? videoFramesDecoded(frame) : Promise.resolve(0);
}
