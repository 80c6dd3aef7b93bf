package io.rktlet.cri.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks the generated descriptors against kubernetes/cri-api v0.36.3 (Kubernetes 1.36).
 * It covers every rpc name and streaming mode, but only a sample of field numbers and types.
 */
class CriApiDescriptorTest {

    /** RuntimeService rpcs in upstream declaration order. */
    private static final List<String> RUNTIME_RPCS = List.of(
            "Version",
            "RunPodSandbox",
            "StopPodSandbox",
            "RemovePodSandbox",
            "PodSandboxStatus",
            "ListPodSandbox",
            "StreamPodSandboxes",
            "CreateContainer",
            "StartContainer",
            "StopContainer",
            "RemoveContainer",
            "ListContainers",
            "StreamContainers",
            "ContainerStatus",
            "UpdateContainerResources",
            "ReopenContainerLog",
            "ExecSync",
            "Exec",
            "Attach",
            "PortForward",
            "ContainerStats",
            "ListContainerStats",
            "StreamContainerStats",
            "PodSandboxStats",
            "ListPodSandboxStats",
            "StreamPodSandboxStats",
            "UpdateRuntimeConfig",
            "Status",
            "CheckpointContainer",
            "GetContainerEvents",
            "ListMetricDescriptors",
            "ListPodSandboxMetrics",
            "StreamPodSandboxMetrics",
            "RuntimeConfig",
            "UpdatePodSandboxResources");

    /** ImageService rpcs in upstream declaration order. */
    private static final List<String> IMAGE_RPCS = List.of(
            "ListImages",
            "StreamImages",
            "ImageStatus",
            "PullImage",
            "RemoveImage",
            "ImageFsInfo");

    /** The only rpcs with a server-streaming response. No rpc streams its request. */
    private static final List<String> SERVER_STREAMING_RPCS = List.of(
            "StreamPodSandboxes",
            "StreamContainers",
            "StreamContainerStats",
            "StreamPodSandboxStats",
            "GetContainerEvents",
            "StreamPodSandboxMetrics",
            "StreamImages");

    @Test
    void runtimeServiceListsAllRpcs() {
        assertThat(methodNames(service("RuntimeService")))
                .containsExactlyElementsOf(RUNTIME_RPCS);
    }

    @Test
    void imageServiceListsAllRpcs() {
        assertThat(methodNames(service("ImageService")))
                .containsExactlyElementsOf(IMAGE_RPCS);
    }

    @Test
    void onlyStreamRpcsAreServerStreaming() {
        List<MethodDescriptor> methods = allMethods();

        assertThat(methods)
                .filteredOn(MethodDescriptor::isServerStreaming)
                .extracting(MethodDescriptor::getName)
                .containsExactlyInAnyOrderElementsOf(SERVER_STREAMING_RPCS);
        assertThat(methods)
                .filteredOn(MethodDescriptor::isClientStreaming)
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}.{1} = {2} ({3})")
    @CsvSource({
        "ContainerStatus, user, 18, MESSAGE",
        "ContainerStatus, stop_signal, 19, ENUM",
        "PodSandboxConfig, windows, 9, MESSAGE",
        "LinuxSandboxSecurityContext, run_as_group, 8, MESSAGE",
        "LinuxContainerSecurityContext, supplemental_groups_policy, 17, ENUM",
        "ImageSpec, image_ref, 20, STRING",
        "KeyValue, value, 2, BYTES",
        "Mount, image_sub_path, 10, STRING",
        "PsiData, Avg300, 4, DOUBLE",
        "WindowsCpuGroupAffinity, cpu_mask, 1, UINT64",
    })
    void sentinelFieldMatchesUpstream(
            String messageName, String fieldName, int number, FieldDescriptor.Type type) {
        Descriptor message = CriApiProto.getDescriptor().findMessageTypeByName(messageName);
        assertThat(message).as("message %s", messageName).isNotNull();

        FieldDescriptor field = message.findFieldByName(fieldName);
        assertThat(field).as("field %s.%s", messageName, fieldName).isNotNull();
        assertThat(field.getNumber()).as("number of %s.%s", messageName, fieldName).isEqualTo(number);
        assertThat(field.getType()).as("type of %s.%s", messageName, fieldName).isEqualTo(type);
    }

    private static ServiceDescriptor service(String name) {
        ServiceDescriptor service = CriApiProto.getDescriptor().findServiceByName(name);
        assertThat(service).as("service %s", name).isNotNull();
        return service;
    }

    private static List<String> methodNames(ServiceDescriptor service) {
        return service.getMethods().stream().map(MethodDescriptor::getName).toList();
    }

    private static List<MethodDescriptor> allMethods() {
        return CriApiProto.getDescriptor().getServices().stream()
                .flatMap(service -> service.getMethods().stream())
                .toList();
    }
}
