// uPlot and its stylesheet, in a chunk of their own: only the debrief loads them.
import 'uplot/dist/uPlot.min.css';
import UPlot from 'uplot';

export { UPlot };
