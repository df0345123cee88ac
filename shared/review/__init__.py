"""What a rep sees when reviewing results, beyond what the store keeps."""
