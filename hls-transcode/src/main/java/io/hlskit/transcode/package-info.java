/**
 * In-process transcoding and segmenting through libavformat, libavcodec, libswscale and
 * libswresample (Bytedeco FFmpeg): profiles, ABR ladders from one decode, posters. Filled in by the
 * transcode issue; the module builds so that the reactor and its dependency rules hold from the start.
 */
package io.hlskit.transcode;
