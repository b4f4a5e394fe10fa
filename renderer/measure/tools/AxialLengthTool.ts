/**
 * Axial length (clinical-rules §1): Cornerstone's Length tool, drawn on a reformat laid along
 * the bone, labelled as the lesion's axial length; the label warns when the line (or the plane
 * it is drawn on) is not along the bone axis (the viewer's axis if defined, else scanner z).
 */
import { getEnabledElement } from '@cornerstonejs/core';
import { LengthTool, type Types as ToolTypes } from '@cornerstonejs/tools';
import type { AnyAnnotation, Vp } from './FrwHandleTool';
import { isOnViewPlane } from './planeFilter';

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
    // A viewport the viewer is replacing (stack ↔ volume) can be asked to render for one frame
    // while it has no view reference; skip that frame instead of throwing from the render loop.
    const render = this.renderAnnotation;
    this.renderAnnotation = (enabledElement, svgDrawingHelper) => {
      try {
        return render(enabledElement, svgDrawingHelper);
      } catch (e) {
        console.warn('axial length: render skipped', e);
        return false;
      }
    };
  }

  /** Shown and editable only on a view of the plane it was drawn on. */
  override filterInteractableAnnotationsForElement(element: HTMLDivElement, annotations: ToolTypes.Annotations): ToolTypes.Annotations {
    const list = super.filterInteractableAnnotationsForElement(element, annotations);
    const viewport = getEnabledElement(element)?.viewport as unknown as Vp | undefined;
    return viewport && list ? list.filter((a) => isOnViewPlane(viewport, a)) : list;
  }
}
