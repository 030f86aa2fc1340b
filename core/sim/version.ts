/** Version of the receive-path model; recorded in every result and in calibrated-params.json. */
export const MODEL_VERSION = 'rxsim-1.0.0';
