/** One label width for every editor row, so fields line up across query kinds (units of 8px). */
export const LABEL_WIDTH = 16;
