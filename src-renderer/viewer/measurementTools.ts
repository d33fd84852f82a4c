import {
  AngleTool,
  EllipticalROITool,
  LengthTool,
  ProbeTool,
  RectangleROITool,
  WindowLevelTool,
} from '@cornerstonejs/tools';
import { reportFileUnits } from './pixelValueUnits';
import { StackProbeTool } from './stackProbeTool';

/** What the left mouse button does: window/level, or draw one kind of measurement. */
export const PRIMARY_TOOLS = [
  { name: WindowLevelTool.toolName, label: 'Window/level', key: 'w' },
  { name: LengthTool.toolName, label: 'Length', key: 'l' },
  { name: AngleTool.toolName, label: 'Angle', key: 'a' },
  { name: EllipticalROITool.toolName, label: 'Ellipse ROI', key: 'e' },
  { name: RectangleROITool.toolName, label: 'Rectangle ROI', key: 'b' },
  { name: ProbeTool.toolName, label: 'Probe', key: 'p' },
] as const;

export type PrimaryToolName = (typeof PRIMARY_TOOLS)[number]['name'];

type ToolProps = ConstructorParameters<typeof EllipticalROITool>[0];

/** The ellipse ROI, its on-image figures in the file's units (same tool name). */
class FileUnitsEllipticalROITool extends EllipticalROITool {
  constructor(props?: ToolProps) {
    super(props);
    reportFileUnits(this);
  }
}

/** The rectangle ROI, its on-image figures in the file's units (same tool name). */
class FileUnitsRectangleROITool extends RectangleROITool {
  constructor(props?: ToolProps) {
    super(props);
    reportFileUnits(this);
  }
}

export const MEASUREMENT_TOOL_CLASSES = [
  LengthTool,
  AngleTool,
  FileUnitsEllipticalROITool,
  FileUnitsRectangleROITool,
  StackProbeTool,
];

export const MEASUREMENT_TOOL_NAMES: ReadonlySet<string> = new Set(
  MEASUREMENT_TOOL_CLASSES.map((tool) => tool.toolName),
);
