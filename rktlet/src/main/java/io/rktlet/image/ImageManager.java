package io.rktlet.image;

import io.rktlet.cri.v1.ImageFsInfoRequest;
import io.rktlet.cri.v1.ImageFsInfoResponse;
import io.rktlet.cri.v1.ImageStatusRequest;
import io.rktlet.cri.v1.ImageStatusResponse;
import io.rktlet.cri.v1.ListImagesRequest;
import io.rktlet.cri.v1.ListImagesResponse;
import io.rktlet.cri.v1.PullImageRequest;
import io.rktlet.cri.v1.PullImageResponse;
import io.rktlet.cri.v1.RemoveImageRequest;
import io.rktlet.errors.CriException;
import io.rktlet.state.ImageRecord;
import java.util.Optional;

/** Owns the CRI image calls and rktlet's image index. */
public class ImageManager {

  public PullImageResponse pullImage(PullImageRequest request) {
    throw CriException.unimplemented("PullImage is not implemented yet");
  }

  public ListImagesResponse listImages(ListImagesRequest request) {
    throw CriException.unimplemented("ListImages is not implemented yet");
  }

  public ImageStatusResponse imageStatus(ImageStatusRequest request) {
    throw CriException.unimplemented("ImageStatus is not implemented yet");
  }

  public void removeImage(RemoveImageRequest request) {
    throw CriException.unimplemented("RemoveImage is not implemented yet");
  }

  public ImageFsInfoResponse imageFsInfo(ImageFsInfoRequest request) {
    throw CriException.unimplemented("ImageFsInfo is not implemented yet");
  }

  /** Finds the image a container asks for, by CRI image ID, tag or digest reference. */
  public Optional<ImageRecord> resolve(String reference) {
    return Optional.empty();
  }
}
