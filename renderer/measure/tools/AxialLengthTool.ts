/**
 * Axial length (clinical-rules §1): Cornerstone's Length tool, drawn on a reformat laid along
 * the bone, labelled as the lesion's axial length; the label warns when the line (or the plane
 * it is drawn on) is not along the bone axis (the viewer's axis if defined, else scanner z).
 */
import { LengthTool } from '@cornerstonejs/tools';
import type { AnyAnnotation } from './FrwHandleTool';

export const LENGTH_TOOL_NAME = 'AxialLength';

export class AxialLengthTool extends LengthTool {
  static override toolName = LENGTH_TOOL_NAME;
  /** Label lines from the measurement layer (value, warning). */
  static textFor: (data: AnyAnnotation['data']) => string[] = () => [];

  constructor(toolProps: Record<string, unknown> = {}) {
    super({
      ...toolProps,
      configuration: {
        ...((toolProps.configuration as object) ?? {}),
        getTextLines: (data: unknown) => AxialLengthTool.textFor(data),
      },
    });
    // The session's undo (Ctrl+Z) is the only undo: Cornerstone's own per-tool 'z' action would
    // change drawings behind the session's back. (Set after super: configurations deep-merge.)
    (this.configuration as { actions?: unknown }).actions = {};
  }
}
