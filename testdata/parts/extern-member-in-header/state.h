/* The extension's process-wide state, defined in another file of it: no
 * static of the unit is named here, so the analysis leaves this header
 * out of the unit unless it is asked what these names are. */
struct glob { int n; PyObject *dumps; };
extern struct glob G;
extern PyObject *arr[4];
extern PyObject *looked;
