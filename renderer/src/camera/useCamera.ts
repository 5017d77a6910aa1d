import { useEffect, useRef } from 'react';
import type { CameraChoice } from '../../../app/settings';
import { useVerification } from '../flow/verificationStore';
import { CameraError, openCamera, stopCamera } from '../services/camera';

/** Streams the chosen camera into a <video> while the component is mounted. */
export function useCamera(choice: CameraChoice | undefined) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const cameraFailed = useVerification((s) => s.cameraFailed);
  // The camera reopens only when the choice itself changes, not when settings are reloaded.
  const deviceId = choice?.deviceId;
  const label = choice?.label;
  useEffect(() => {
    let stream: MediaStream | null = null;
    let cancelled = false;
    const chosen = deviceId === undefined || label === undefined ? undefined : { deviceId, label };
    openCamera(chosen, () => cameraFailed('unplugged'))
      .then(async (opened) => {
        if (cancelled) return stopCamera(opened);
        stream = opened;
        const video = videoRef.current;
        if (!video) return;
        video.srcObject = opened;
        await video.play().catch(() => undefined);
      })
      .catch((error: unknown) => {
        if (!cancelled) cameraFailed(error instanceof CameraError ? error.problem : 'failed');
      });
    return () => {
      cancelled = true;
      stopCamera(stream);
    };
  }, [deviceId, label, cameraFailed]);
  return videoRef;
}
