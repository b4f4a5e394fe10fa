import type { HostApi } from '../../shared/ipc/hostApi';
import type { Series } from '../../shared/schemas/scan';

/**
 * The CT viewer: axial stack, sagittal / coronal reformats and an oblique reformat along the
 * bone axis. (Placeholder while the Cornerstone3D viewer is being built; the API is final.)
 */
export function Viewer(props: { host: HostApi; series: Series | null }) {
  return (
    <div data-testid="viewer" className="frw-viewer">
      {props.series ? `${props.series.description} — ${props.series.instanceCount}` : null}
    </div>
  );
}
