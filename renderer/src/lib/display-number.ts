// The rule lives in core/contract so that the PDF report prints a record's number as the Import cell shows it.
export { displayNumber, exactTitle, recordNumber } from '../../../core/contract/display-number.js';
