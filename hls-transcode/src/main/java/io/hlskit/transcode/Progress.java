package io.hlskit.transcode;

/**
 * How far a transcode has come.
 *
 * @param fraction the share of the input's duration done, 0 to 1, never going back
 * @param frames video frames encoded so far
 * @param speed media seconds done per wall-clock second ({@code 2.0} is twice real time)
 */
public record Progress(double fraction, long frames, double speed) {}
