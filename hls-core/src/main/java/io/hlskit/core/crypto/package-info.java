/**
 * Encryption of segments for channels that not everyone may watch: {@link
 * io.hlskit.core.crypto.ContentKey} (a channel's AES-128 keys, where the store keeps them and the
 * URI players fetch them from) and {@link io.hlskit.core.crypto.SegmentCipher} (HLS {@code
 * AES-128}: CBC, PKCS7, the IV from the media sequence number).
 */
package io.hlskit.core.crypto;
