/** Reports: JSON and a self-contained HTML page (charting library embedded) of before/after figures. */
package dev.quant4j.report;
