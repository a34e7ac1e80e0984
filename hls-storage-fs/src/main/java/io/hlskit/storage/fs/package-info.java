/**
 * A {@code MediaStore} on a local folder, {@link io.hlskit.storage.fs.FileSystemMediaStore}:
 * atomic writes and publishes, and a channel list that follows what is copied into the folder.
 */
package io.hlskit.storage.fs;
