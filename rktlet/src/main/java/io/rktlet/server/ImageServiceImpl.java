package io.rktlet.server;

import io.grpc.stub.StreamObserver;
import io.rktlet.cri.v1.ImageFsInfoRequest;
import io.rktlet.cri.v1.ImageFsInfoResponse;
import io.rktlet.cri.v1.ImageServiceGrpc;
import io.rktlet.cri.v1.ImageStatusRequest;
import io.rktlet.cri.v1.ImageStatusResponse;
import io.rktlet.cri.v1.ListImagesRequest;
import io.rktlet.cri.v1.ListImagesResponse;
import io.rktlet.cri.v1.PullImageRequest;
import io.rktlet.cri.v1.PullImageResponse;
import io.rktlet.cri.v1.RemoveImageRequest;
import io.rktlet.cri.v1.RemoveImageResponse;
import io.rktlet.cri.v1.StreamImagesRequest;
import io.rktlet.cri.v1.StreamImagesResponse;
import io.rktlet.image.ImageManager;

/** The CRI ImageService: each call delegates to the {@link ImageManager} method of its name. */
public final class ImageServiceImpl extends ImageServiceGrpc.ImageServiceImplBase {
  private final ImageManager images;

  public ImageServiceImpl(ImageManager images) {
    this.images = images;
  }

  @Override
  public void listImages(ListImagesRequest request, StreamObserver<ListImagesResponse> reply) {
    Replies.unary(reply, images.listImages(request));
  }

  @Override
  public void streamImages(StreamImagesRequest request,
      StreamObserver<StreamImagesResponse> reply) {
    ListImagesResponse all = images.listImages(
        ListImagesRequest.newBuilder().setFilter(request.getFilter()).build());
    Replies.batches(reply, all.getImagesList(),
        batch -> StreamImagesResponse.newBuilder().addAllImages(batch).build());
  }

  @Override
  public void imageStatus(ImageStatusRequest request, StreamObserver<ImageStatusResponse> reply) {
    Replies.unary(reply, images.imageStatus(request));
  }

  @Override
  public void pullImage(PullImageRequest request, StreamObserver<PullImageResponse> reply) {
    Replies.unary(reply, images.pullImage(request));
  }

  @Override
  public void removeImage(RemoveImageRequest request, StreamObserver<RemoveImageResponse> reply) {
    images.removeImage(request);
    Replies.unary(reply, RemoveImageResponse.getDefaultInstance());
  }

  @Override
  public void imageFsInfo(ImageFsInfoRequest request, StreamObserver<ImageFsInfoResponse> reply) {
    Replies.unary(reply, images.imageFsInfo(request));
  }
}
